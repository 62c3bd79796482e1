"""Properties of snapshots, the diff and the renderer, for random schemas (no database)."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import flatten
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.render import render
from sqlstrata.autogen.render_items import RenderContext
from tests.autogen.helpers import sa_dialect, snap
from tests.autogen.strategies import schema_pairs, schema_specs

BACKENDS = st.sampled_from(["sqlite", "postgresql", "mysql"])


@settings(max_examples=60, deadline=None)
@given(data=st.data(), backend=BACKENDS)
def test_a_schema_equals_itself(data: st.DataObject, backend: str) -> None:
    spec = data.draw(schema_specs(backend))
    first, second = snap(spec.build(), backend), snap(spec.build(), backend)
    assert first == second and hash(first) == hash(second)
    assert diff(first, second, DiffOptions(dialect=backend)) == ()


@settings(max_examples=60, deadline=None)
@given(data=st.data(), backend=BACKENDS)
def test_diffs_both_ways_agree_and_render(data: st.DataObject, backend: str) -> None:
    a, b = data.draw(schema_pairs(backend))
    old, new = snap(a.build(), backend), snap(b.build(), backend)
    options = DiffOptions(dialect=backend)
    up = diff(old, new, options)
    down = diff(new, old, options.reversed())
    assert (old == new) == (not up) == (not down)
    for operations in (up, down):
        text = render(operations, RenderContext(sa_dialect(backend)))
        compile(f"def upgrade():\n    {text}\n", "<rendered>", "exec")
    # Every table either side has is created, dropped or changed, never both created and
    # dropped in one direction.
    created = {
        getattr(op, "table_name", None) for op in flatten(up) if type(op).__name__ == "CreateTable"
    }
    dropped = {
        getattr(op, "table_name", None) for op in flatten(up) if type(op).__name__ == "DropTable"
    }
    assert not created & dropped
    assert created == {t.name for t in new.tables} - {t.name for t in old.tables}
    assert dropped == {t.name for t in old.tables} - {t.name for t in new.tables}


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_metadata_and_snapshot_order_do_not_matter(data: st.DataObject) -> None:
    spec = data.draw(schema_specs("postgresql"))
    md = spec.build()
    reordered = sa.MetaData(naming_convention=md.naming_convention)
    for table in reversed(list(md.tables.values())):
        table.to_metadata(reordered)
    assert diff(snap(md), snap(reordered)) == ()
