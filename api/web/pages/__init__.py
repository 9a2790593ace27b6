"""The web pages: server-rendered HTML for leadership, units and inspectors, one module per area.

The pages are another face of the same application: they read through the same read models,
run the same commands (``api.commands.POSTED``, their forms derived from the same dataclasses)
and obey the same authorization matrix, enforced in the same place (``api.routes.PAGES``,
checked by ``api.pipeline``). They need no script to work: every action is an HTML form; the
one script only makes the version slider move on its own.

Signing in sets an HttpOnly, SameSite=Lax cookie holding the same kind of token the API gives.
Every form that changes something carries a token derived from the session (``csrf``), checked
before anything runs. Nothing is loaded from anywhere but this server.

``base`` is what every page shares (templates in both languages, forms, the error page); the
others are the areas: ``session`` (signing in and out, the language), ``dashboard``,
``directives``, ``units``, ``inspector`` and ``static``.
"""
