"""Workshops for trainers: dated sessions of a course, enrolment (join code, roster, sign-in slips), the live
progress grid, quiz control, pre/post gains, question analysis, attendance, results and certificates.

The blueprint lives in greencustoms.workshops.blueprint; the factory imports the route modules that fill it and
plugs in the quiz gate (greencustoms.workshops.gate).
"""
