"""Open Badges 3.0 credentials: signed with eddsa-rdfc-2022, revocable by a Bitstring Status List, verifiable
offline (a page, a command). See docs/credentials.md. The factory registers the pages and `flask certificates`."""
