"""team.yaml's people: join, move and leave, and one person's data for an export.

Takes a Workspace and an edit; gives the new text of each file it touches (comments kept), or a zip.
"""
