<%
    if down_revision is None:
        revises = ""
    elif isinstance(down_revision, str):
        revises = " " + down_revision
    else:
        revises = " " + ", ".join(down_revision)
%>"""${message}

Revision ID: ${up_revision}
Revises:${revises}
Create Date: ${create_date}

"""
from collections.abc import Sequence

import sqlalchemy as sa
from sqlstrata import op
${imports if imports else ""}

# revision identifiers, used by sqlstrata.
revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}
