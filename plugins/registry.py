"""The conditions rules may name: the built-ins, and those third-party plugins add.

A plugin is a `Plugin` object published under the `tabel.plugins` entry-point group; it may
add conditions and policy lines (in the CSV format of `policies/*.csv`) without touching the core.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from plugins.addressed import addressed
from plugins.admin_role import admin_role
from plugins.answering import answering
from plugins.base import Condition
from plugins.child_teacher import child_teacher
from plugins.coming import coming
from plugins.consented import consented
from plugins.head_role import head_role
from plugins.open_year import open_year
from plugins.other_roles import other_roles
from plugins.own_child import own_child
from plugins.own_class import own_class
from plugins.own_parent import own_parent
from plugins.parent_of_taught import parent_of_taught
from plugins.reporting import reporting
from plugins.same_municipality import same_municipality
from plugins.same_school import same_school
from plugins.school_parent import school_parent
from plugins.self import self_
from plugins.staff import staff
from plugins.subject_taught import subject_taught
from plugins.taught import taught
from plugins.unlocked_period import unlocked_period
from plugins.within_edit_window import within_edit_window

ENTRY_POINT_GROUP = "tabel.plugins"

BUILT_IN: tuple[Condition, ...] = (
    same_school,
    same_municipality,
    own_class,
    taught,
    own_child,
    self_,
    staff,
    unlocked_period,
    open_year,
    within_edit_window,
    reporting,
    answering,
    admin_role,
    head_role,
    other_roles,
    subject_taught,
    coming,
    consented,
    own_parent,
    # Messages (issue 14): who reads them, and whom one may write to first.
    addressed,
    parent_of_taught,
    child_teacher,
    school_parent,
)


@dataclass(frozen=True)
class Plugin:
    name: str
    conditions: Sequence[Condition] = ()
    policy: str = ""


class PluginError(Exception):
    pass


@dataclass(frozen=True)
class Registry:
    conditions: Mapping[str, Condition]
    # (where it comes from, CSV text) for every plugin's policy lines
    policies: Sequence[tuple[str, str]] = field(default_factory=tuple)


def discover(extra: Sequence[Plugin] = ()) -> Registry:
    """The built-in conditions plus every installed plugin's (and `extra`, for embedding)."""
    conditions = {condition.name: condition for condition in BUILT_IN}
    policies: list[tuple[str, str]] = []
    plugins = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    for plugin in [*plugins, *extra]:
        if not isinstance(plugin, Plugin):
            raise PluginError(f"{plugin!r} in {ENTRY_POINT_GROUP} is not a tabel Plugin")
        for condition in plugin.conditions:
            if condition.name in conditions:
                raise PluginError(f"plugin {plugin.name} redefines condition {condition.name}")
            conditions[condition.name] = condition
        if plugin.policy:
            policies.append((f"plugin {plugin.name}", plugin.policy))
    return Registry(conditions=conditions, policies=tuple(policies))
