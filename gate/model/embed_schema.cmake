# Writes the schema file as a C++ raw string literal (the delimiter cannot occur in JSON).
file(READ ${IN} text)
file(WRITE ${OUT} "namespace chaosgate { extern const char* const k_suite_schema_text; const char* const k_suite_schema_text = R\"chaosgate_schema(${text})chaosgate_schema\"; }\n")
