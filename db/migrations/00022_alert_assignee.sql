-- +goose Up
-- An alert can be addressed to one person: a document's review reminder and
-- lapse go to the document's owner (shown to them on Alerts and carried by
-- the webhook, so a receiver can notify them). Connection alerts have none.
ALTER TABLE alerts ADD COLUMN assignee_id uuid REFERENCES users (id);

-- +goose Down
ALTER TABLE alerts DROP COLUMN assignee_id;
