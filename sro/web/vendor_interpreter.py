"""Wrap the vega-interpreter ES module as a classic script (used by `make vendor-js`).

vega-interpreter 2.x ships only an ES module whose single import is from vega-util. The
page has no bundler and its CSP forbids inline import maps, so the module is wrapped,
otherwise unchanged: the import is read from the global `vega` (which re-exports vega-util)
and the export is set on `window.vegaInterpreter`.

    python -m sro.web.vendor_interpreter SOURCE.js TARGET.js
"""

from __future__ import annotations

import sys
from pathlib import Path

IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';\n"
EXPORT = "export { expression as expressionInterpreter };\n"
HEADER = """/* vega-interpreter 2.3.2 (BSD-3-Clause, University of Washington Interactive Data Lab; see licenses/).
   The npm package ships an ES module only. Wrapped here as a classic script, otherwise unchanged:
   its one import (vega-util) is read from the global `vega`, which re-exports vega-util, and its
   export is set on `window.vegaInterpreter`. Made by `make vendor-js`. */
(function (vega) {
'use strict';
const { ascending, isString, DisallowedObjectProperties } = vega;

"""
FOOTER = "\nwindow.vegaInterpreter = { expressionInterpreter: expression };\n})(window.vega);\n"


def wrap(source: str) -> str:
    if IMPORT not in source or EXPORT not in source:
        raise SystemExit("vega-interpreter changed its imports or exports: review the wrapper before updating")
    body = source.replace(IMPORT, "").replace(EXPORT, "")
    body = body.replace("//# sourceMappingURL=vega-interpreter.js.map", "").rstrip() + "\n"
    return HEADER + body + FOOTER


def main(argv: list[str]) -> None:
    source, target = Path(argv[0]), Path(argv[1])
    target.write_text(wrap(source.read_text()))


if __name__ == "__main__":
    main(sys.argv[1:])
