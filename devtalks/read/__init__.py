"""Reading a repository: its files found, parsed and placed, and several repositories fetched for an organisation.

Takes a folder (or org.yaml); gives a Snapshot of its bytes (never a path out of it) and a Workspace of
parsed files, each value with its line and column, and the diagnostics reading found. The caches here
(each file's status and digest, parsed files, fetched clones) serve reading alone and live in
devtalks' own cache folder (state.py).
"""
