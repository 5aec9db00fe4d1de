"""Guide steps several fiches share: reaching a service's settings in MyOpenIP.

Each procedure words them in its own texts (``<procedure>.guide.<step>``); the path is the same.
"""

from __future__ import annotations

from dialogs.spec import Step

LOGIN = Step("login")
# « Mes Services » › « Paramétrage / Monitoring » › filters › « Paramétrer »
TO_THE_SERVICE = (Step("mes_services"), Step("parametrage"), Step("search"), Step("parametrer"))
