"""`own_child`: a parent's or guardian's children, and what is recorded about them."""

from plugins import relations as r
from plugins.students import about_students

own_child = about_students(
    "own_child",
    "the person's children: their grades, attendance, homework, lessons",
    r.children_of,
    in_words="their children's",
)
