"""The OneRoster 1.2 CSV binding's files and their column headers, in the standard's order.

Source: 1EdTech (IMS) OneRoster: CSV Binding, version 1.2, IMS Final Release of 19 September
2022 (https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv), section 3: Table 3.1 for
`manifest.csv` and the table of each data file (3.2–3.20), read from its published copy
(github.com/imsjapan/imsjapan.github.io, `or12.html`). Version 1.2.1 (August 2023) keeps these
headers. The lists agree with the 1.2 row schemas of public implementations (e.g. the
OneRoster Japan Profile exporters' `users.csv` header), which repeat 1.2's changes from 1.1:
`users.csv` lost `orgSourcedIds` and `role` (now `roles.csv`), `lineItems.csv` renamed
`gradingPeriodSourcedId` to `academicSessionSourcedId` and added `schoolSourcedId`, a line
item's score scale is a row of `lineItemScoreScales.csv`, and `categories.csv` gained `weight`.
"""

MANIFEST_HEADER = ("propertyName", "value")

_RECORD = ("sourcedId", "status", "dateLastModified")

HEADERS: dict[str, tuple[str, ...]] = {
    "academicSessions": (
        *_RECORD, "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear",
    ),
    "categories": (*_RECORD, "title", "weight"),
    "classes": (
        *_RECORD, "title", "grades", "courseSourcedId", "classCode", "classType", "location",
        "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
    ),
    "classResources": (*_RECORD, "title", "classSourcedId", "resourceSourcedId"),
    "courses": (
        *_RECORD, "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId",
        "subjects", "subjectCodes",
    ),
    "courseResources": (*_RECORD, "title", "courseSourcedId", "resourceSourcedId"),
    "demographics": (
        *_RECORD, "birthDate", "sex", "americanIndianOrAlaskaNative", "asian",
        "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white",
        "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity", "countryOfBirthCode",
        "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus",
    ),
    "enrollments": (
        *_RECORD, "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary",
        "beginDate", "endDate",
    ),
    "lineItemLearningObjectiveIds": (
        *_RECORD, "lineItemSourcedId", "source", "learningObjectiveId",
    ),
    "lineItems": (
        *_RECORD, "title", "description", "assignDate", "dueDate", "classSourcedId",
        "categorySourcedId", "academicSessionSourcedId", "resultValueMin", "resultValueMax",
        "schoolSourcedId",
    ),
    "lineItemScoreScales": (*_RECORD, "title", "lineItemSourcedId", "scoreScaleSourcedId"),
    "orgs": (*_RECORD, "name", "type", "identifier", "parentSourcedId"),
    "resources": (
        *_RECORD, "vendorResourceId", "title", "roles", "importance", "vendorId",
        "applicationId",
    ),
    "resultLearningObjectiveIds": (
        *_RECORD, "resultSourcedId", "source", "learningObjectiveId", "score", "textScore",
    ),
    "results": (
        *_RECORD, "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate",
        "comment", "textScore", "classSourcedId", "inProgress", "incomplete", "late", "missing",
    ),
    "resultScoreScales": (*_RECORD, "title", "resultSourcedId", "scoreScaleSourcedId"),
    "roles": (
        *_RECORD, "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId",
        "userProfileSourcedId",
    ),
    "scoreScales": (
        *_RECORD, "title", "type", "orgSourcedId", "courseSourcedId", "classSourcedId",
        "scoreScaleValue",
    ),
    "userProfiles": (
        *_RECORD, "userSourcedId", "profileType", "vendorId", "applicationId", "description",
        "credentialType", "username", "password",
    ),
    "userResources": (
        *_RECORD, "userSourcedId", "orgSourcedId", "classSourcedId", "resourceSourcedId",
    ),
    "users": (
        *_RECORD, "enabledUser", "username", "userIds", "givenName", "familyName",
        "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
        "password", "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
        "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns",
    ),
}  # fmt: skip

# The `file.*` rows of the manifest, in Table 3.1's order.
MANIFEST_FILES = (
    "academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
    "demographics", "enrollments", "lineItemLearningObjectiveIds", "lineItems",
    "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds", "results",
    "resultScoreScales", "roles", "scoreScales", "userProfiles", "userResources", "users",
)  # fmt: skip

# What tabel's export writes, in the order it writes them (a file without rows is absent, as
# the binding forbids files with no data rows); the line items before the categories, which
# hold the final grades' category only if a final grade's line item is there.
EXPORTED = (
    "orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments",
    "lineItems", "categories", "scoreScales", "lineItemScoreScales", "results",
)  # fmt: skip
