"""The public website: server-rendered pages (more arrive with the website issue)."""
