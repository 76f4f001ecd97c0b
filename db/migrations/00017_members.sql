-- Members: invitations may make an owner or an admin as well as an auditor,
-- and an organization always keeps at least one owner.

-- +goose Up
-- An owner or admin invitation grants lasting access: no access expiry and
-- no assessment limit, which only an auditor's invitation carries.
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ALTER COLUMN access_expires_at DROP NOT NULL;
ALTER TABLE invitations
    ADD CONSTRAINT invitations_role_check CHECK (role IN ('owner', 'admin', 'auditor')),
    ADD CONSTRAINT invitations_auditor_terms CHECK (
        (role = 'auditor') = (access_expires_at IS NOT NULL)
        AND (role = 'auditor' OR assessment_id IS NULL));

-- The last owner of an organization can be neither demoted nor removed. The
-- check runs after the change, holding the organization row's lock, and its
-- count is a new statement: it sees every demotion committed before the lock
-- was granted, so two owners demoting each other at once cannot both pass.
-- +goose StatementBegin
CREATE FUNCTION memberships_keep_an_owner() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.role <> 'owner' OR OLD.revoked_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.role = 'owner' AND NEW.revoked_at IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM organizations WHERE id = OLD.org_id FOR UPDATE;
    IF NOT EXISTS (SELECT 1 FROM memberships
                   WHERE org_id = OLD.org_id AND role = 'owner' AND revoked_at IS NULL) THEN
        RAISE EXCEPTION 'organization % would have no owner', OLD.org_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_last_owner';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER memberships_keep_an_owner AFTER UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_keep_an_owner();

-- +goose Down
SELECT 1;
