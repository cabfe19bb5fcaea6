"""The manager's private notes, encrypted with age: written, listed, read and re-keyed.

Takes a Workspace and the reader's key; gives Notes in memory, never plain text on disk (store.py);
age.py encrypts and decrypts.
"""
