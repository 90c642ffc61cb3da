"""Quizzes: drawing and taking attempts, grading by question type, results, review, item statistics, GIFT import.

The pages (greencustoms.quiz.views) are registered by the factory; importing a service never loads them.
"""
