"""The OpenAPI 3.1 document, in parts: common.py (shared shapes and helpers), one module per audience
(public, learner, provider, staff), each with `paths()` and `SCHEMAS`; app/api/openapi.py joins them."""
