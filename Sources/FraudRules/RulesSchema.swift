import FraudSchema

/// `schemas/rules.schema.json`, embedded so that the loader never depends on where the
/// schema is installed (the processor, tune and replays validate with exactly the schema
/// this code was built with, and no search path can pick up a stale copy).
///
/// `schemas/rules.schema.json` stays the published copy for people and other tools;
/// `RulesSchemaTests` fails if the two differ by one byte. After editing the file, paste it
/// between the delimiters below unchanged (the empty line before the closing delimiter keeps
/// the file's final newline).
public enum RulesSchema {
    /// The schema text, byte for byte the file `schemas/rules.schema.json`.
    public static let text: String = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://fraudstream.example/schemas/rules.schema.json",
  "title": "Rules file",
  "description": "A FraudStream rules file (YAML, checked as the JSON it maps to): score thresholds per segment, allow and block lists and explicit rules that turn the engine's risk score into actions (review, alert, block). See rules/README.md for the semantics. Checks the schema cannot express (increasing thresholds, unique ids, min <= max, known currencies, list references and list files) are made by FraudRules when loading.",
  "type": "object",
  "required": [
    "version"
  ],
  "properties": {
    "version": {
      "type": "string",
      "minLength": 1,
      "maxLength": 128,
      "pattern": "^[A-Za-z0-9][A-Za-z0-9._:+-]*$",
      "description": "Version of this rules file, carried by every alert as rules_version. Letters, digits and . _ : + - (e.g. 2026-05-01.1); quote it in YAML so that 1.0 stays text."
    },
    "description": {
      "type": "string",
      "maxLength": 4096,
      "description": "Free text for people; ignored by the processor."
    },
    "thresholds": {
      "$ref": "#/$defs/thresholds",
      "description": "Default score thresholds, used when no segment matches."
    },
    "segments": {
      "type": "array",
      "maxItems": 256,
      "items": {
        "$ref": "#/$defs/segment"
      },
      "description": "Ordered segments with their own thresholds; the first segment whose match holds decides the thresholds."
    },
    "lists": {
      "type": "object",
      "maxProperties": 64,
      "patternProperties": {
        "^[a-z][a-z0-9_]{0,63}$": {
          "$ref": "#/$defs/list",
          "description": "A named list of ids; the name is lowercase snake_case."
        }
      },
      "additionalProperties": false,
      "description": "Named id lists. block_cards, block_merchants, allow_cards and allow_merchants act by themselves; other names are watch lists that rules reference with card_in / merchant_in."
    },
    "rules": {
      "type": "array",
      "maxItems": 1024,
      "items": {
        "$ref": "#/$defs/rule"
      },
      "description": "Explicit rules: each rule whose conditions all hold contributes its action and its id."
    }
  },
  "additionalProperties": false,
  "$defs": {
    "id": {
      "type": "string",
      "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
      "description": "An id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (no spaces or ':')."
    },
    "threshold": {
      "type": [
        "number",
        "string"
      ],
      "minimum": 0,
      "maximum": 1,
      "pattern": "^off$",
      "description": "A score threshold: the action applies when the score is >= this number in [0, 1]. \"off\" switches the action off (in a segment: instead of inheriting the top-level threshold)."
    },
    "thresholds": {
      "type": "object",
      "minProperties": 1,
      "properties": {
        "review": {
          "type": [
            "number",
            "string"
          ],
          "minimum": 0,
          "maximum": 1,
          "pattern": "^off$",
          "description": "Score at or above which the action is review (queue for an analyst)."
        },
        "alert": {
          "type": [
            "number",
            "string"
          ],
          "minimum": 0,
          "maximum": 1,
          "pattern": "^off$",
          "description": "Score at or above which the action is alert (notify)."
        },
        "block": {
          "type": [
            "number",
            "string"
          ],
          "minimum": 0,
          "maximum": 1,
          "pattern": "^off$",
          "description": "Score at or above which the action is block (decline)."
        }
      },
      "additionalProperties": false,
      "description": "Score thresholds per action; they must not decrease from review to alert to block."
    },
    "probability": {
      "type": "number",
      "minimum": 0,
      "maximum": 1,
      "description": "A number in [0, 1]; the condition holds when the value is >= it."
    },
    "money": {
      "type": "number",
      "minimum": 0,
      "maximum": 1000000000,
      "multipleOf": 0.0001,
      "description": "An exact decimal amount in the transaction's currency, at most 4 decimal places (compared exactly, never as binary floating point)."
    },
    "amount": {
      "type": "object",
      "minProperties": 1,
      "properties": {
        "min": {
          "type": "number",
          "minimum": 0,
          "maximum": 1000000000,
          "multipleOf": 0.0001,
          "description": "Smallest amount that matches (inclusive)."
        },
        "max": {
          "type": "number",
          "minimum": 0,
          "maximum": 1000000000,
          "multipleOf": 0.0001,
          "description": "Largest amount that matches (inclusive)."
        }
      },
      "additionalProperties": false,
      "description": "An amount range, both ends inclusive; min <= max."
    },
    "channels": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "string",
        "maxLength": 32,
        "pattern": "^[a-z][a-z0-9_]*$",
        "description": "A payment channel in lowercase snake_case: card_present, ecommerce, atm, ..."
      },
      "description": "Matches a transaction whose channel is one of these (never one without a channel)."
    },
    "countries": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "string",
        "pattern": "^[A-Z]{2}$",
        "description": "An ISO 3166-1 alpha-2 country code in uppercase."
      },
      "description": "Matches a transaction whose merchant country is one of these (never one without a country)."
    },
    "currencies": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "string",
        "pattern": "^[A-Z]{3}$",
        "description": "An ISO 4217 currency code in uppercase."
      },
      "description": "Matches a transaction in one of these currencies."
    },
    "mccs": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": [
          "integer",
          "string"
        ],
        "minimum": 0,
        "maximum": 9999,
        "pattern": "^[0-9]{1,4}-[0-9]{1,4}$",
        "description": "A merchant category code (0 to 9999) or an inclusive range written \"5960-5969\"."
      },
      "description": "Matches a transaction whose merchant category code is one of these (never one without an mcc)."
    },
    "reasonCodes": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {
        "type": "string",
        "pattern": "^[a-z][a-z0-9_]*$",
        "description": "A reason code, e.g. card_recent_fraud_report."
      },
      "description": "Holds when one of these codes is among the decision's top reasons."
    },
    "listName": {
      "type": "string",
      "pattern": "^[a-z][a-z0-9_]{0,63}$",
      "description": "The name of a list under lists."
    },
    "match": {
      "type": "object",
      "minProperties": 1,
      "properties": {
        "channel": {
          "$ref": "#/$defs/channels",
          "description": "Holds when the transaction's channel is one of these."
        },
        "country": {
          "$ref": "#/$defs/countries",
          "description": "Holds when the merchant's country is one of these."
        },
        "mcc": {
          "$ref": "#/$defs/mccs",
          "description": "Holds when the merchant category code is one of these codes or in one of these ranges."
        },
        "currency": {
          "$ref": "#/$defs/currencies",
          "description": "Holds when the transaction's currency is one of these."
        },
        "amount": {
          "$ref": "#/$defs/amount",
          "description": "Holds when the amount lies in this inclusive range."
        }
      },
      "additionalProperties": false,
      "description": "What a segment covers: every given condition must hold (a list condition holds when the value is any of its items)."
    },
    "when": {
      "type": "object",
      "minProperties": 1,
      "properties": {
        "channel": {
          "$ref": "#/$defs/channels",
          "description": "Holds when the transaction's channel is one of these."
        },
        "country": {
          "$ref": "#/$defs/countries",
          "description": "Holds when the merchant's country is one of these."
        },
        "mcc": {
          "$ref": "#/$defs/mccs",
          "description": "Holds when the merchant category code is one of these codes or in one of these ranges."
        },
        "currency": {
          "$ref": "#/$defs/currencies",
          "description": "Holds when the transaction's currency is one of these."
        },
        "amount": {
          "$ref": "#/$defs/amount",
          "description": "Holds when the amount lies in this inclusive range."
        },
        "score_at_least": {
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "description": "Holds when the fused risk score is >= this."
        },
        "model_probability_at_least": {
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "description": "Holds when the model's fraud probability is >= this."
        },
        "anomaly_at_least": {
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "description": "Holds when the anomaly component is >= this."
        },
        "reason_code": {
          "$ref": "#/$defs/reasonCodes",
          "description": "Holds when one of these reason codes is among the decision's top reasons."
        },
        "card_in": {
          "$ref": "#/$defs/listName",
          "description": "Holds when the card is in this list."
        },
        "card_not_in": {
          "$ref": "#/$defs/listName",
          "description": "Holds when the card is not in this list."
        },
        "merchant_in": {
          "$ref": "#/$defs/listName",
          "description": "Holds when the merchant is in this list."
        },
        "merchant_not_in": {
          "$ref": "#/$defs/listName",
          "description": "Holds when the merchant is not in this list."
        }
      },
      "additionalProperties": false,
      "description": "A rule's conditions: every given condition must hold."
    },
    "segment": {
      "type": "object",
      "required": [
        "id",
        "match",
        "thresholds"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/id",
          "description": "Unique among segments (\"default\" is reserved); alerts report threshold:<id>:<action>."
        },
        "description": {
          "type": "string",
          "maxLength": 4096,
          "description": "Free text for people."
        },
        "match": {
          "$ref": "#/$defs/match",
          "description": "The transactions the segment covers."
        },
        "thresholds": {
          "$ref": "#/$defs/thresholds",
          "description": "This segment's thresholds; an action not given inherits the top-level threshold."
        }
      },
      "additionalProperties": false,
      "description": "A segment of transactions with its own score thresholds."
    },
    "rule": {
      "type": "object",
      "required": [
        "id",
        "action",
        "when"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/id",
          "description": "Unique among rules; reported in alerts' rule_ids."
        },
        "description": {
          "type": "string",
          "maxLength": 4096,
          "description": "Free text for people."
        },
        "action": {
          "type": "string",
          "enum": [
            "review",
            "alert",
            "block"
          ],
          "description": "The action when the rule holds."
        },
        "when": {
          "$ref": "#/$defs/when",
          "description": "The conditions, all of which must hold."
        }
      },
      "additionalProperties": false,
      "description": "An explicit rule."
    },
    "list": {
      "type": [
        "array",
        "object"
      ],
      "uniqueItems": true,
      "minProperties": 1,
      "items": {
        "type": "string",
        "minLength": 1,
        "maxLength": 128,
        "description": "A card or merchant id."
      },
      "properties": {
        "ids": {
          "type": "array",
          "uniqueItems": true,
          "items": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "description": "A card or merchant id."
          },
          "description": "Ids written in the rules file."
        },
        "file": {
          "type": "string",
          "minLength": 1,
          "maxLength": 1024,
          "description": "A text file with one id per line (blank lines and lines starting with # are ignored), relative to the rules file."
        }
      },
      "additionalProperties": false,
      "description": "A list of card or merchant ids: inline ([id, ...]) or {ids: [...], file: path}."
    }
  }
}

"""#

    /// The compiled schema (compiled once, on first use).
    static let compiled: Result<JSONSchema, SchemaError> = Result { () throws(SchemaError) in try JSONSchema(parsing: text) }
}
