"""A local web app over the store: runs, reports, articles, entities, search and a JSON API."""
