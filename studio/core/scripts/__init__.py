"""Scripts: a show's words per market, platform and product set (docs/scripts.md).

- `model`: a script as segments of numbered lines; `text`: the plain-text format (`## `
  headings start segments) and reading a script file
- `errors`: bad script input, said as file:line:column and what was expected
"""
