"""The national coordinator's pages: their officers (learners in scope), one officer's record, exports of the
completion records in scope, and API tokens bounded by the scope (greencustoms.access.scope holds the rule)."""
