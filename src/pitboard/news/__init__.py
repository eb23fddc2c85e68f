"""The news desk: articles, cleaned of their page, linked to what they mention."""
