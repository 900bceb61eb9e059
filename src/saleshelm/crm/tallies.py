"""Counts the database keeps itself: ``OrderCount``, the number of orders of each organisation.

Triggers on ``crm_order`` add and subtract, in the transaction of the write, whatever
writes the orders: services, the import's ``executemany`` and ``COPY``, the seed, a
cascade when an organisation is deleted, a test factory. On PostgreSQL they are statement
triggers over the transition table, so a ``COPY`` of 300,000 orders updates each
organisation's row once; SQLite has only row triggers, one small upsert per order.

``install`` runs after every ``migrate`` (and after the test database is built from the models),
replacing the triggers and counting every organisation's orders afresh in one transaction:
the counts can never start from a wrong number, and a changed trigger reaches every database.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE = [
    "DROP TRIGGER IF EXISTS crm_order_count_insert",
    "DROP TRIGGER IF EXISTS crm_order_count_delete",
    "DROP TRIGGER IF EXISTS crm_order_count_move",
    """
    CREATE TRIGGER crm_order_count_insert AFTER INSERT ON crm_order
    BEGIN
        INSERT INTO crm_ordercount (organisation_id, orders) VALUES (NEW.organisation_id, 1)
        ON CONFLICT (organisation_id) DO UPDATE SET orders = orders + 1;
    END
    """,
    """
    CREATE TRIGGER crm_order_count_delete AFTER DELETE ON crm_order
    BEGIN
        UPDATE crm_ordercount SET orders = orders - 1 WHERE organisation_id = OLD.organisation_id;
    END
    """,
    """
    CREATE TRIGGER crm_order_count_move AFTER UPDATE OF organisation_id ON crm_order
    WHEN OLD.organisation_id IS NOT NEW.organisation_id
    BEGIN
        UPDATE crm_ordercount SET orders = orders - 1 WHERE organisation_id = OLD.organisation_id;
        INSERT INTO crm_ordercount (organisation_id, orders) VALUES (NEW.organisation_id, 1)
        ON CONFLICT (organisation_id) DO UPDATE SET orders = orders + 1;
    END
    """,
]

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION crm_order_count_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO crm_ordercount (organisation_id, orders)
        SELECT organisation_id, count(*) FROM new_orders GROUP BY organisation_id
        ON CONFLICT (organisation_id)
        DO UPDATE SET orders = crm_ordercount.orders + EXCLUDED.orders;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION crm_order_count_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE crm_ordercount AS c SET orders = c.orders - gone.n
        FROM (SELECT organisation_id, count(*) AS n FROM old_orders GROUP BY organisation_id)
            AS gone
        WHERE c.organisation_id = gone.organisation_id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION crm_order_count_move() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE crm_ordercount SET orders = orders - 1 WHERE organisation_id = OLD.organisation_id;
        INSERT INTO crm_ordercount (organisation_id, orders) VALUES (NEW.organisation_id, 1)
        ON CONFLICT (organisation_id) DO UPDATE SET orders = crm_ordercount.orders + 1;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE OR REPLACE TRIGGER crm_order_count_insert AFTER INSERT ON crm_order
    REFERENCING NEW TABLE AS new_orders
    FOR EACH STATEMENT EXECUTE FUNCTION crm_order_count_insert()
    """,
    """
    CREATE OR REPLACE TRIGGER crm_order_count_delete AFTER DELETE ON crm_order
    REFERENCING OLD TABLE AS old_orders
    FOR EACH STATEMENT EXECUTE FUNCTION crm_order_count_delete()
    """,
    """
    CREATE OR REPLACE TRIGGER crm_order_count_move AFTER UPDATE OF organisation_id ON crm_order
    FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
    EXECUTE FUNCTION crm_order_count_move()
    """,
]

RECOUNT = [
    "DELETE FROM crm_ordercount",
    "INSERT INTO crm_ordercount (organisation_id, orders) "
    "SELECT organisation_id, count(*) FROM crm_order GROUP BY organisation_id",
]


DROP = {
    "sqlite": [s for s in SQLITE if s.startswith("DROP TRIGGER")],
    "postgresql": [
        *(
            f"DROP TRIGGER IF EXISTS crm_order_count_{name} ON crm_order"
            for name in ("insert", "delete", "move")
        ),
        *(
            f"DROP FUNCTION IF EXISTS crm_order_count_{name}()"
            for name in ("insert", "delete", "move")
        ),
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers and recount, atomically: on PostgreSQL creating a trigger
    locks out writes to the orders table until the transaction ends, so no order slips in
    between the count and the trigger.

    Where the counts table is not there (crm migrated back before it), the triggers go too:
    left behind they would fail every new order."""
    statements = POSTGRES if connection.vendor == "postgresql" else SQLITE
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "crm_order" not in tables:
            return
        if "crm_ordercount" not in tables:
            statements, recount = DROP[connection.vendor], []
        else:
            recount = RECOUNT
        for sql in [*statements, *recount]:
            cursor.execute(sql)
