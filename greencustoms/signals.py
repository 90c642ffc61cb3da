"""Application signals, so one area can react to another without importing it (e.g. certificates on completion).

Receivers are called synchronously after the sender's transaction has committed, with the app as sender.
"""

from blinker import Namespace

_signals = Namespace()

# kwargs: user_id: int, course_slug: str, lesson_id: str ("module/lesson")
lesson_completed = _signals.signal("lesson-completed")

# kwargs: user_id: int, quiz_slug: str, attempt_id: int, score: float (percent), passed: bool
attempt_graded = _signals.signal("attempt-graded")

# kwargs: user_id: int, certificate_id: int (certificates.service.issue_certificate: on completion or renewal)
certificate_issued = _signals.signal("certificate-issued")

# kwargs: user_id: int, quiz_slug: str, attempt_id: int (quiz.service.save_answers, after a save that took one or
# more decisions in a scenario question: the path is on the attempt)
scenario_decided = _signals.signal("scenario-decided")
