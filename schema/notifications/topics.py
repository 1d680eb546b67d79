"""What a notification is about, declared once for every type that names it."""

import strawberry

import model as m

TOPIC_WORDS = {
    "GRADE": "A grade entered, changed or removed.",
    "ATTENDANCE": "An absence or a late arrival marked (or its mark removed).",
    "HOMEWORK": "Homework set for the student.",
    "FINAL_GRADE": "A term, year or final grade set or changed.",
    "MESSAGE": "A message to you (from the class teacher, a teacher, the school).",
    "CREDENTIALS": "A new login and temporary password (sent whatever you chose).",
}
# `Topic` is a lesson's topic in the schema already: this one is `NotificationTopic`.
strawberry.enum(m.Topic, name="NotificationTopic", description="What a notification is about.")
for _value in m.Topic.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = TOPIC_WORDS[_value.name]
