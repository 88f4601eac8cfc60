"""What the law and the NIST AI RMF ask of a jurisdiction: content from fixtures/, pure logic.

- `loader`: reads and checks fixtures/obligations.yaml and fixtures/nist-ai-rmf.yaml.
- `content`: the shipped files, read once per process (`obligations()`, `framework()`).
- `applicability.applicable_duties`: the duties for a state, population and kind.
- `coverage.coverage`: the framework's coverage by function and category from answered slugs.
- `checks`: `manage.py check` fails on a malformed file.
"""
