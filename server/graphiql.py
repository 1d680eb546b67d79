"""GraphiQL for development, opened on example queries against the demo school."""

import re

from strawberry.http.ides import get_graphql_ide_html

EXAMPLES = """# tabel: the demo school. Sign in first (logins: admin, head, deputy, teacher,
# class_teacher, psychologist, student, parent; password: demo), then put the token
# into the Headers tab: {"Authorization": "Bearer <token>"}. Each role sees what the
# roles table allows: the head the whole school, a teacher what they teach, a parent
# their children.

mutation SignIn {
  login(login: "head", password: "demo") { token expiresAt mustChangePassword }
}

query Me {
  me { login roles { role school { name } } person { fullName } }
}

query ClassWithStudentsAndParents {
  classes(first: 1) {
    totalCount
    nodes {
      name
      classTeacher { fullName }
      students { fullName parents { kinship person { fullName phone } } }
    }
  }
}

query RecentGrades {
  grades(first: 20) {
    totalCount
    edges { cursor node { mark workType { name weight } student { shortName }
      lesson { heldOn topic subject { name } } } }
    pageInfo { hasNextPage endCursor }
  }
}

# The screens: each one request, a fixed number of SQL statements. IDs come from the
# lists above or from `Me` (a student's own person id; a parent's child's).
query GradeGrid($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(groupId: $group, subjectId: $subject, periodId: $period) {
    students { id shortName average weightedAverage }
    lessons { id heldOn topic workTypes { shortName weight } }
    grades { studentId lessonId mark workTypeId }
    attendance { studentId lessonId kind lateMinutes }
  }
}

query DiaryWeek($student: ID!, $week: Date!) {
  diaryWeek(studentId: $student, weekOf: $week) {
    days { date dayOff lessons { bellNumber change subject { name } teacher { shortName }
      topic homework { text pages tasks dueOn individual }
      grades { mark workType { shortName weight } } attendance { kind lateMinutes } } }
  }
}

query HowJournalsAreKept {
  activityRating { rank score filledShare onTimeShare school { id name } }
}

query JournalControl($school: ID!) {
  journalControl(schoolId: $school) {
    teacher { fullName } schoolClass { name } subject { name }
    lessonsHeld lessonsWithoutTopic lessonsWithoutAttendance lessonsWithoutGrades
    lessonsWithoutHomework lateGrades lateAttendance lateHomework missingFinalGrades
  }
}
"""


def graphiql_html() -> str:
    html = get_graphql_ide_html("graphiql")
    return re.sub(
        r"const EXAMPLE_QUERY = `.*?`;",
        lambda _: "const EXAMPLE_QUERY = `" + EXAMPLES.replace("`", "\\`") + "`;",
        html,
        count=1,
        flags=re.DOTALL,
    )
