"""Course completion and certificates: the rule, issuing, PDFs with QR codes, public verification, revocation.

The factory registers the pages (greencustoms.certificates.views) and plugs in what this area offers the others
(greencustoms.certificates.receivers).
"""
