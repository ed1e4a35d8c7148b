"""Drafting a source from an article, each module one job, in the order ingest runs them: read (the input),
extract (the text and metadata), published (when it appeared), marks, posts, furniture and passages (what is
not reporting), sentences, candidates, context, speakers, references, places, names, dates and answers (the
guesses about each sentence), claims (the drafts), site (what the site already holds) and render (the files);
builder/ingest.py is the command's flow."""
