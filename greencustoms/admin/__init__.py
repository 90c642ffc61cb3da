"""Administration: dashboard, accounts, completion exports, audit log and API tokens, all under /admin.

The blueprint lives in greencustoms.admin.blueprint; the factory imports the route modules that fill it.
"""
