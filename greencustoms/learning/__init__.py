"""Learning: the catalogue, course and lesson pages, marking lessons complete, and the learner's /me page.

The pages (greencustoms.learning.views) are registered by the factory.
"""
