-- 014: the audit log (issue [8/11]): one append-only table for who did what, when and from where.
--
-- Sign-ins come first (success, failure, lock-out); imports, form writes, exports and downloads
-- follow as they are wired in. Nothing in the code updates or deletes a row of this table: the
-- only writer is dashboard.audit.record, which inserts. `address` is the client's IP address as
-- the server saw it (NULL from the command line); `detail` is a short text in Traditional
-- Chinese; `page` names where it happened.
create sequence audit_log_seq start 1;

create table audit_log (
    entry_id bigint primary key default nextval('audit_log_seq'),
    happened_at timestamp not null,
    username varchar,          -- the account acted as, or the name typed at a failed sign-in
    action varchar not null,   -- 登入成功 / 登入失敗 / 登入鎖定 / …
    detail varchar,
    page varchar,
    address varchar
);

create index audit_log_action_at on audit_log (action, happened_at);
