// Validates suites (YAML or JSON) against a JSON Schema 2020-12 with Ajv.
// Usage: node validate_schema.mjs SCHEMA FILE...   Prints "FILE: valid" or
// "FILE: invalid <first error>" per file. Strict mode, except that "exactly one
// of" is written as oneOf [{required: [http]}, ...] (properties live one level up).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.env.AJV_DIR + "/node_modules/");
const Ajv2020 = require("ajv/dist/2020").default;
const YAML = require("yaml");

const [schemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
for (const file of files) {
  let document;
  try {
    const text = readFileSync(file, "utf8");
    document = file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text, { uniqueKeys: true });
  } catch (e) {
    console.log(`${file}: unreadable ${e.message.split("\n")[0]}`);
    continue;
  }
  if (validate(document)) console.log(`${file}: valid`);
  else console.log(`${file}: invalid ${validate.errors[0].instancePath} ${validate.errors[0].message}`);
}
