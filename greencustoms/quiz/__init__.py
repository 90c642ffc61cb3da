"""Quizzes: drawing and taking attempts, grading by question type, results, review, item statistics, GIFT import."""

from greencustoms.quiz.views import bp

__all__ = ["bp"]
