"""Reminders: due items become issues on the forge and e-mail digests.

plan.py and texts.py are pure (what, for whom, in which words); github.py, sync.py and
email.py are the edges that talk HTTP and SMTP; run.py carries a `devtalks remind` out.
"""
