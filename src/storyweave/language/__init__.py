"""Language knowledge the stages share, one module each.

A stage reads a word list, a negation rule or the quotation marks of a paragraph through these
modules and never through another stage (``tests/test_architecture.py`` checks it), so two stages
cannot drift apart on what counts as a reporting verb or where a quotation starts:

* :mod:`~storyweave.language.reporting` — reporting verbs and their tags, attributing prepositions;
* :mod:`~storyweave.language.negation` — negation particles, quantifiers, clause markers, denial verbs;
* :mod:`~storyweave.language.quotation` — the one scanner of quotation marks (double, single, unclosed);
* :mod:`~storyweave.language.document` — where an offset lies in an analysis (its sentence, its chain's name).

What a figure is (units, number words, approximators, whether a quantity is a part, a change or a
count of people) has its one home in :mod:`storyweave.figures`. Word lists themselves are data in
:mod:`storyweave.lexicons`, read by its one loader.
"""
