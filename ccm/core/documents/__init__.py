"""Documents: one attachment capability for any object (a need, a response; later a meeting, a coalition…).

- ``registry``: an app registers the models that take attachments, with the policy deciding who sees
  them (``view``) and who attaches or withdraws (``change``). A document is visible exactly when its
  parent is; core never imports the apps that register.
- ``storage``: the bytes, stored once per content under their SHA-256 in ``CCM_PRIVATE_STORAGE_DIR``,
  outside the web root and outside every static or media URL.
- ``services``: attach (through the upload validator) and withdraw, atomic and audited
  (``document.attach``, ``document.withdraw``). Downloads are not audited.
- ``policies``/``views``/``api``: the only way out is a view that checks the parent's policy.
"""
