-- The audit log is append-only: the database refuses to change or remove a recorded event (SQLite's
-- migration 0001 does the same with RAISE(ABORT)); TRUNCATE, which skips row triggers, is refused too.
-- The hash chain (src/audit) still detects edits made by someone who drops these triggers first.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
-- The one row appenders lock (SELECT ... FOR UPDATE) and whose highest_seq only grows: the chain's
-- high-water mark, as sqlite_sequence is for SQLite, so a removed tail is noticed by `audit verify`.
INSERT INTO audit_head (id, highest_seq) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION audit_head_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_head only moves forward: % refused', TG_OP;
  END IF;
  IF NEW.highest_seq < OLD.highest_seq OR NEW.id <> OLD.id THEN
    RAISE EXCEPTION 'audit_head only moves forward: highest_seq % to % refused', OLD.highest_seq, NEW.highest_seq;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_only_grows();
--> statement-breakpoint
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_head_only_grows();
