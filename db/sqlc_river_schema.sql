-- The part of River's job table attest's own queries read, declared for
-- sqlc's type checking only. River creates and migrates the real table
-- (rivermigrate); goose never runs this file.
CREATE TABLE river_job (
    id           bigint PRIMARY KEY,
    kind         text NOT NULL,
    args         jsonb NOT NULL,
    state        text NOT NULL,
    queue        text NOT NULL,
    attempt      smallint NOT NULL,
    created_at   timestamptz NOT NULL,
    scheduled_at timestamptz NOT NULL,
    finalized_at timestamptz
);

-- The queues River knows (a row per queue a client has worked).
CREATE TABLE river_queue (
    name       text PRIMARY KEY,
    created_at timestamptz NOT NULL
);
