/// The OpenAPI 3 description of the API, served at `/v1/openapi.json`; `docs/openapi.json` is a copy kept equal by a test.
///
/// Regenerate the copy with `drover-controlplane openapi > docs/openapi.json` after editing.
public enum OpenAPIDocument {
    /// The document as JSON text.
    public static let json = #"""
{
  "components": {
    "responses": {
      "Error": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "description": "Error"
      }
    },
    "schemas": {
      "AgentDetail": {
        "description": "",
        "properties": {
          "agent": {
            "$ref": "#/components/schemas/AgentInfo"
          },
          "desired": {
            "$ref": "#/components/schemas/DesiredState"
          },
          "enrolled_at": {
            "format": "date-time",
            "type": "string"
          },
          "observed": {
            "$ref": "#/components/schemas/ObservedState"
          }
        },
        "type": "object"
      },
      "AgentInfo": {
        "description": "DroverAPI.AgentInfo",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "desired_version": {
            "type": "string"
          },
          "labels": {
            "type": "object"
          },
          "last_seen": {
            "format": "date-time",
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "state": {
            "enum": [
              "active",
              "stale",
              "lost"
            ],
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "AgentList": {
        "description": "",
        "properties": {
          "agents": {
            "items": {
              "$ref": "#/components/schemas/AgentInfo"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "Alert": {
        "description": "An alert: one fingerprint's firing or resolution, with evidence in its annotations.",
        "properties": {
          "annotations": {
            "type": "object"
          },
          "ends_at": {
            "format": "date-time",
            "type": "string"
          },
          "fingerprint": {
            "type": "string"
          },
          "labels": {
            "type": "object"
          },
          "rule": {
            "type": "string"
          },
          "severity": {
            "enum": [
              "critical",
              "warning",
              "info"
            ],
            "type": "string"
          },
          "starts_at": {
            "format": "date-time",
            "type": "string"
          },
          "status": {
            "enum": [
              "firing",
              "resolved"
            ],
            "type": "string"
          }
        },
        "required": [
          "fingerprint",
          "rule",
          "severity",
          "status",
          "labels",
          "annotations",
          "starts_at"
        ],
        "type": "object"
      },
      "AlertDelivery": {
        "description": "One alert state to send to one webhook receiver.",
        "properties": {
          "alert": {
            "$ref": "#/components/schemas/Alert"
          },
          "attempts": {
            "type": "integer"
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "delivered_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "last_error": {
            "type": "string"
          },
          "next_attempt_at": {
            "format": "date-time",
            "type": "string"
          },
          "receiver": {
            "type": "string"
          },
          "state": {
            "enum": [
              "pending",
              "delivered",
              "failed"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "AlertDeliveryList": {
        "description": "",
        "properties": {
          "deliveries": {
            "items": {
              "$ref": "#/components/schemas/AlertDelivery"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "AlertList": {
        "description": "",
        "properties": {
          "alerts": {
            "items": {
              "$ref": "#/components/schemas/Alert"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "AlertRule": {
        "description": "A rule: fires when `metric op threshold` holds for `for_seconds`.",
        "properties": {
          "for_seconds": {
            "type": "integer"
          },
          "metric": {
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "op": {
            "enum": [
              "lt",
              "le",
              "gt",
              "ge"
            ],
            "type": "string"
          },
          "severity": {
            "enum": [
              "critical",
              "warning",
              "info"
            ],
            "type": "string"
          },
          "threshold": {
            "type": "number"
          }
        },
        "required": [
          "name",
          "metric",
          "op",
          "threshold"
        ],
        "type": "object"
      },
      "AlertRuleList": {
        "description": "",
        "properties": {
          "rules": {
            "items": {
              "$ref": "#/components/schemas/AlertRule"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "AliasRequest": {
        "description": "Optional body of an alias request.",
        "properties": {
          "override": {
            "description": "Make the version stable although its training run is flagged (needs retraining.manage; audited).",
            "type": "boolean"
          }
        },
        "type": "object"
      },
      "AuditList": {
        "description": "",
        "properties": {
          "entries": {
            "items": {
              "description": "",
              "properties": {
                "action": {
                  "type": "string"
                },
                "actor": {
                  "type": "string"
                },
                "at": {
                  "format": "date-time",
                  "type": "string"
                },
                "detail": {
                  "type": "object"
                },
                "sequence": {
                  "type": "integer"
                },
                "target": {
                  "type": "string"
                },
                "token_id": {
                  "type": "string"
                }
              },
              "type": "object"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "DesiredList": {
        "description": "",
        "properties": {
          "desired": {
            "items": {
              "$ref": "#/components/schemas/DesiredState"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "DesiredState": {
        "description": "DroverAPI.DesiredState",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "generation": {
            "type": "integer"
          },
          "model": {
            "type": "string"
          },
          "plan_id": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          },
          "schema_version": {
            "type": "integer"
          },
          "updated_at": {
            "format": "date-time",
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "DesiredStateResult": {
        "description": "DroverAPI.DesiredStateResult",
        "properties": {
          "desired": {
            "items": {
              "$ref": "#/components/schemas/DesiredState"
            },
            "type": "array"
          },
          "forced": {
            "description": "True when the change passed only because `force` was set.",
            "type": "boolean"
          },
          "schema_check": {
            "$ref": "#/components/schemas/SchemaCheck"
          }
        },
        "required": [
          "desired"
        ],
        "type": "object"
      },
      "DesiredStateUpdate": {
        "description": "DroverAPI.DesiredStateUpdate",
        "properties": {
          "force": {
            "description": "Set the version although its declared inputs do not match the agents' traffic (audited).",
            "type": "boolean"
          },
          "model": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          },
          "selector": {
            "additionalProperties": {
              "type": "string"
            },
            "type": "object"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "model",
          "version",
          "reason"
        ],
        "type": "object"
      },
      "Digest": {
        "description": "",
        "properties": {
          "digest": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "EnrollRequest": {
        "description": "DroverAPI.EnrollRequest",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "agent_version": {
            "type": "string"
          },
          "labels": {
            "additionalProperties": {
              "type": "string"
            },
            "type": "object"
          },
          "model": {
            "type": "string"
          },
          "server_kind": {
            "type": "string"
          }
        },
        "required": [
          "agent_id",
          "model",
          "labels"
        ],
        "type": "object"
      },
      "EnrollResponse": {
        "description": "DroverAPI.EnrollResponse",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "token": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "Error": {
        "description": "Every error.",
        "properties": {
          "error": {
            "description": "",
            "properties": {
              "code": {
                "type": "string"
              },
              "field": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            },
            "required": [
              "code",
              "message"
            ],
            "type": "object"
          }
        },
        "required": [
          "error"
        ],
        "type": "object"
      },
      "FleetHealth": {
        "description": "Groups per model × version × zone.",
        "properties": {
          "from": {
            "format": "date-time",
            "type": "string"
          },
          "groups": {
            "items": {
              "description": "",
              "properties": {
                "drift": {
                  "items": {
                    "description": "",
                    "properties": {
                      "counts": {
                        "items": {
                          "type": "integer"
                        },
                        "type": "array"
                      },
                      "kind": {
                        "type": "string"
                      },
                      "n": {
                        "type": "integer"
                      },
                      "name": {
                        "type": "string"
                      },
                      "reference_counts": {
                        "items": {
                          "type": "integer"
                        },
                        "type": "array"
                      },
                      "role": {
                        "type": "string"
                      },
                      "score": {
                        "description": "",
                        "properties": {
                          "adjusted_p_value": {
                            "type": "number"
                          },
                          "chi_square": {
                            "type": "number"
                          },
                          "js_distance": {
                            "type": "number"
                          },
                          "p_value": {
                            "type": "number"
                          },
                          "psi": {
                            "type": "number"
                          },
                          "reason": {
                            "type": "string"
                          },
                          "verdict": {
                            "type": "string"
                          }
                        },
                        "type": "object"
                      }
                    },
                    "type": "object"
                  },
                  "type": "array"
                },
                "error_rate": {
                  "type": "number"
                },
                "errors": {
                  "type": "integer"
                },
                "failovers": {
                  "type": "integer"
                },
                "latency_ms": {
                  "description": "",
                  "properties": {
                    "count": {
                      "type": "integer"
                    },
                    "p50": {
                      "type": "number"
                    },
                    "p90": {
                      "type": "number"
                    },
                    "p99": {
                      "type": "number"
                    }
                  },
                  "type": "object"
                },
                "mismatched_profiles": {
                  "additionalProperties": {
                    "type": "integer"
                  },
                  "description": "Those reports per profile digest.",
                  "type": "object"
                },
                "model": {
                  "type": "string"
                },
                "online": {
                  "type": "object"
                },
                "profile_mismatches": {
                  "description": "Reports whose drift was computed against another profile than the version's stored one: kept, but excluded from drift.",
                  "type": "integer"
                },
                "reference_profile": {
                  "description": "The digest the drift counts are over (the stored profile's).",
                  "type": "string"
                },
                "reports": {
                  "type": "integer"
                },
                "requests": {
                  "type": "integer"
                },
                "unmergeable": {
                  "type": "integer"
                },
                "validation": {
                  "type": "object"
                },
                "version": {
                  "type": "string"
                },
                "zone": {
                  "type": "string"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "to": {
            "format": "date-time",
            "type": "string"
          }
        },
        "type": "object"
      },
      "Heartbeat": {
        "description": "DroverAPI.Heartbeat",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "labels": {
            "type": "object"
          },
          "spool_depth": {
            "type": "integer"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "agent_id"
        ],
        "type": "object"
      },
      "LineageView": {
        "description": "",
        "properties": {
          "ancestors": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "descendants": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "model": {
            "type": "string"
          },
          "version": {
            "type": "object"
          }
        },
        "type": "object"
      },
      "ModelVersion": {
        "description": "DroverAPI.ModelVersion",
        "properties": {
          "aliases": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "artifact": {
            "description": "",
            "properties": {
              "sha256": {
                "type": "string"
              },
              "uri": {
                "type": "string"
              }
            },
            "type": "object"
          },
          "footprint": {
            "type": "object"
          },
          "inputs": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "lineage": {
            "description": "",
            "properties": {
              "derived_from": {
                "type": "string"
              },
              "method": {
                "enum": [
                  "finetune",
                  "retrain",
                  "quantize",
                  "prune",
                  "distill"
                ],
                "type": "string"
              },
              "parameters": {
                "type": "object"
              }
            },
            "type": "object"
          },
          "model": {
            "type": "string"
          },
          "offline_metrics": {
            "type": "object"
          },
          "outputs": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "schema_version": {
            "type": "integer"
          },
          "status": {
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "schema_version",
          "model",
          "version",
          "artifact"
        ],
        "type": "object"
      },
      "ObservedState": {
        "description": "DroverAPI.ObservedState",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "error": {
            "type": "string"
          },
          "generation": {
            "type": "integer"
          },
          "model": {
            "type": "string"
          },
          "observed_at": {
            "format": "date-time",
            "type": "string"
          },
          "status": {
            "enum": [
              "applied",
              "failed",
              "failed_over"
            ],
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "ReferenceProfile": {
        "description": "DroverAPI.ReferenceProfile",
        "properties": {
          "features": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "model": {
            "type": "string"
          },
          "outputs": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "schema_version": {
            "type": "integer"
          },
          "version": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "Report": {
        "description": "DroverAPI.Report: one window of an agent (see docs/controlplane.md and the golden fixtures).",
        "properties": {
          "agent_id": {
            "type": "string"
          },
          "drift": {
            "type": "object"
          },
          "errors": {
            "type": "object"
          },
          "events": {
            "items": {
              "type": "object"
            },
            "type": "array"
          },
          "health": {
            "type": "object"
          },
          "id": {
            "type": "string"
          },
          "latency_ms": {
            "type": "object"
          },
          "model": {
            "type": "string"
          },
          "online": {
            "type": "object"
          },
          "schema_version": {
            "type": "integer"
          },
          "validation": {
            "type": "object"
          },
          "version": {
            "type": "string"
          },
          "window": {
            "type": "object"
          }
        },
        "required": [
          "schema_version",
          "id",
          "agent_id",
          "model",
          "version",
          "window",
          "health"
        ],
        "type": "object"
      },
      "ReportAck": {
        "description": "DroverAPI.ReportAck",
        "properties": {
          "accepted": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "duplicates": {
            "items": {
              "type": "string"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "ReportBatch": {
        "description": "",
        "properties": {
          "reports": {
            "items": {
              "$ref": "#/components/schemas/Report"
            },
            "type": "array"
          }
        },
        "required": [
          "reports"
        ],
        "type": "object"
      },
      "RetrainRequest": {
        "description": "A retrain request with its evidence and outcome.",
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "dispatched_at": {
            "format": "date-time",
            "type": "string"
          },
          "evidence": {
            "description": "Why the trigger fired.",
            "properties": {
              "features": {
                "items": {
                  "description": "",
                  "properties": {
                    "max_psi": {
                      "type": "number"
                    },
                    "name": {
                      "type": "string"
                    },
                    "psi": {
                      "type": "number"
                    },
                    "windows": {
                      "type": "integer"
                    }
                  },
                  "type": "object"
                },
                "type": "array"
              },
              "min_drifted_features": {
                "type": "integer"
              },
              "model": {
                "type": "string"
              },
              "psi_threshold": {
                "type": "number"
              },
              "reasons": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "since": {
                "format": "date-time",
                "type": "string"
              },
              "until": {
                "format": "date-time",
                "type": "string"
              },
              "validation": {
                "description": "",
                "properties": {
                  "floor": {
                    "type": "number"
                  },
                  "metric": {
                    "type": "string"
                  },
                  "values": {
                    "items": {
                      "type": "number"
                    },
                    "type": "array"
                  }
                },
                "type": "object"
              },
              "versions": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "windows": {
                "type": "integer"
              },
              "zones": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              }
            },
            "type": "object"
          },
          "finished_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "outcome": {
            "type": "string"
          },
          "result_version": {
            "type": "string"
          },
          "state": {
            "enum": [
              "pending",
              "dispatched",
              "failed",
              "completed",
              "expired"
            ],
            "type": "string"
          },
          "target": {
            "enum": [
              "webhook",
              "command"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "RetrainRequestList": {
        "description": "",
        "properties": {
          "requests": {
            "items": {
              "$ref": "#/components/schemas/RetrainRequest"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "SchemaCheck": {
        "description": "A version's declared input features compared with what the selected agents see (DroverAPI.SchemaCheck). Missing features and kind mismatches block a desired-state change; extra features do not.",
        "properties": {
          "compatible": {
            "type": "boolean"
          },
          "declared": {
            "items": {
              "properties": {
                "kinds": {
                  "items": {
                    "enum": [
                      "numeric",
                      "categorical",
                      "embedding"
                    ],
                    "type": "string"
                  },
                  "type": "array"
                },
                "name": {
                  "type": "string"
                }
              },
              "required": [
                "name",
                "kinds"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "groups": {
            "items": {
              "description": "Agents that see the same features.",
              "properties": {
                "agents": {
                  "items": {
                    "type": "string"
                  },
                  "type": "array"
                },
                "compatible": {
                  "type": "boolean"
                },
                "extra": {
                  "items": {
                    "type": "string"
                  },
                  "type": "array"
                },
                "kind_mismatches": {
                  "items": {
                    "properties": {
                      "declared": {
                        "items": {
                          "enum": [
                            "numeric",
                            "categorical",
                            "embedding"
                          ],
                          "type": "string"
                        },
                        "type": "array"
                      },
                      "name": {
                        "type": "string"
                      },
                      "observed": {
                        "items": {
                          "enum": [
                            "numeric",
                            "categorical",
                            "embedding"
                          ],
                          "type": "string"
                        },
                        "type": "array"
                      }
                    },
                    "type": "object"
                  },
                  "type": "array"
                },
                "missing": {
                  "items": {
                    "type": "string"
                  },
                  "type": "array"
                },
                "served_versions": {
                  "items": {
                    "type": "string"
                  },
                  "type": "array"
                },
                "source": {
                  "description": "reports and/or served_version",
                  "items": {
                    "type": "string"
                  },
                  "type": "array"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "model": {
            "type": "string"
          },
          "note": {
            "type": "string"
          },
          "selector": {
            "additionalProperties": {
              "type": "string"
            },
            "type": "object"
          },
          "unchecked": {
            "items": {
              "properties": {
                "agent_id": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "model",
          "version",
          "compatible"
        ],
        "type": "object"
      },
      "SchemaMismatch": {
        "description": "409 body of a refused desired-state change: the usual error (code schema_mismatch) plus the check.",
        "properties": {
          "error": {
            "description": "",
            "properties": {
              "code": {
                "type": "string"
              },
              "field": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            },
            "required": [
              "code",
              "message"
            ],
            "type": "object"
          },
          "schema_check": {
            "$ref": "#/components/schemas/SchemaCheck"
          }
        },
        "required": [
          "error",
          "schema_check"
        ],
        "type": "object"
      },
      "Status": {
        "description": "",
        "properties": {
          "status": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "TokenCreateRequest": {
        "description": "",
        "properties": {
          "name": {
            "type": "string"
          },
          "role": {
            "enum": [
              "admin",
              "operator",
              "viewer",
              "enroll"
            ],
            "type": "string"
          }
        },
        "required": [
          "name",
          "role"
        ],
        "type": "object"
      },
      "TokenCreateResponse": {
        "description": "",
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "role": {
            "type": "string"
          },
          "token": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "TokenList": {
        "description": "",
        "properties": {
          "tokens": {
            "items": {
              "description": "",
              "properties": {
                "agent_id": {
                  "type": "string"
                },
                "created_at": {
                  "type": "string"
                },
                "created_by": {
                  "type": "string"
                },
                "id": {
                  "type": "string"
                },
                "name": {
                  "type": "string"
                },
                "revoked_at": {
                  "type": "string"
                },
                "role": {
                  "type": "string"
                }
              },
              "type": "object"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "TrainingRunDetail": {
        "description": "",
        "properties": {
          "health": {
            "$ref": "#/components/schemas/TrainingRunHealth"
          },
          "promotion_blocked": {
            "description": "Why a version of this run may not become stable without an override; absent when it may.",
            "type": "string"
          },
          "recent_steps": {
            "items": {
              "$ref": "#/components/schemas/TrainingStep"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "TrainingRunHealth": {
        "description": "A training run's health as the monitor judges it.",
        "properties": {
          "detail": {
            "type": "string"
          },
          "first_seen_at": {
            "format": "date-time",
            "type": "string"
          },
          "flagged_at": {
            "format": "date-time",
            "type": "string"
          },
          "flagged_step": {
            "type": "integer"
          },
          "last_grad_norm": {
            "description": "A number; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "oneOf": [
              {
                "type": "number"
              },
              {
                "enum": [
                  "NaN",
                  "Infinity",
                  "-Infinity"
                ],
                "type": "string"
              }
            ]
          },
          "last_loss": {
            "description": "A number; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "oneOf": [
              {
                "type": "number"
              },
              {
                "enum": [
                  "NaN",
                  "Infinity",
                  "-Infinity"
                ],
                "type": "string"
              }
            ]
          },
          "last_seen_at": {
            "format": "date-time",
            "type": "string"
          },
          "last_step": {
            "type": "integer"
          },
          "reason": {
            "type": "string"
          },
          "run_id": {
            "type": "string"
          },
          "status": {
            "enum": [
              "warming_up",
              "healthy",
              "flagged"
            ],
            "type": "string"
          },
          "steps": {
            "type": "integer"
          }
        },
        "type": "object"
      },
      "TrainingRunList": {
        "description": "",
        "properties": {
          "runs": {
            "items": {
              "$ref": "#/components/schemas/TrainingRunHealth"
            },
            "type": "array"
          }
        },
        "type": "object"
      },
      "TrainingStep": {
        "description": "One training step: loss and gradient norms.",
        "properties": {
          "at": {
            "format": "date-time",
            "type": "string"
          },
          "grad_norm": {
            "description": "A number; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "oneOf": [
              {
                "type": "number"
              },
              {
                "enum": [
                  "NaN",
                  "Infinity",
                  "-Infinity"
                ],
                "type": "string"
              }
            ]
          },
          "layer_norms": {
            "additionalProperties": {
              "description": "A number; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
              "oneOf": [
                {
                  "type": "number"
                },
                {
                  "enum": [
                    "NaN",
                    "Infinity",
                    "-Infinity"
                  ],
                  "type": "string"
                }
              ]
            },
            "type": "object"
          },
          "learning_rate": {
            "type": "number"
          },
          "loss": {
            "description": "A number; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "oneOf": [
              {
                "type": "number"
              },
              {
                "enum": [
                  "NaN",
                  "Infinity",
                  "-Infinity"
                ],
                "type": "string"
              }
            ]
          },
          "run_id": {
            "type": "string"
          },
          "schema_version": {
            "type": "integer"
          },
          "step": {
            "type": "integer"
          }
        },
        "required": [
          "schema_version",
          "run_id",
          "step",
          "loss",
          "grad_norm"
        ],
        "type": "object"
      },
      "TrainingSteps": {
        "description": "One step, an array of steps, or {\"steps\": [...]}.",
        "oneOf": [
          {
            "$ref": "#/components/schemas/TrainingStep"
          },
          {
            "items": {
              "$ref": "#/components/schemas/TrainingStep"
            },
            "type": "array"
          },
          {
            "description": "",
            "properties": {
              "steps": {
                "items": {
                  "$ref": "#/components/schemas/TrainingStep"
                },
                "type": "array"
              }
            },
            "required": [
              "steps"
            ],
            "type": "object"
          }
        ]
      },
      "VersionList": {
        "description": "",
        "properties": {
          "versions": {
            "items": {
              "$ref": "#/components/schemas/ModelVersion"
            },
            "type": "array"
          }
        },
        "type": "object"
      }
    },
    "securitySchemes": {
      "bearer": {
        "scheme": "bearer",
        "type": "http"
      }
    }
  },
  "info": {
    "description": "Sidecar agents report to the control plane; operators register versions and set desired state. Every error is `{\"error\":{\"code\",\"message\",\"field\"?}}`. Authenticate with `Authorization: Bearer drv_…`.",
    "title": "Drover control plane API",
    "version": "1"
  },
  "openapi": "3.0.3",
  "paths": {
    "/healthz": {
      "get": {
        "description": "Role: none.",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                }
              }
            },
            "description": "OK"
          }
        },
        "security": [],
        "summary": "Liveness of the process"
      }
    },
    "/metrics": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "description": "OK"
          }
        },
        "security": [],
        "summary": "Prometheus metrics (text format)"
      }
    },
    "/readyz": {
      "get": {
        "description": "Role: none.",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                }
              }
            },
            "description": "OK"
          },
          "503": {
            "description": "store unavailable"
          }
        },
        "security": [],
        "summary": "Readiness: the store answers"
      }
    },
    "/v1/agents": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "model",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "active, stale or lost",
            "in": "query",
            "name": "state",
            "required": false,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AgentList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "List agents with liveness (active, stale, lost)"
      }
    },
    "/v1/agents/enroll": {
      "post": {
        "description": "Re-enrolling revokes the agent's previous credential.\n\nRole: enroll, admin.",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EnrollRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EnrollResponse"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Enrol an agent; returns its own credential (shown once)"
      }
    },
    "/v1/agents/{agent}": {
      "get": {
        "description": "Role: admin, operator, viewer; agent (itself).",
        "parameters": [
          {
            "description": "Agent id, percent-encoded (`node-a%2Franker-0`).",
            "in": "path",
            "name": "agent",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AgentDetail"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "One agent with its desired and observed state"
      }
    },
    "/v1/agents/{agent}/desired": {
      "get": {
        "description": "Answers at once when the stored generation is newer than `after`; otherwise waits up to `wait` seconds and is woken at once by a change.\n\nRole: admin, operator, viewer; agent (itself).",
        "parameters": [
          {
            "description": "Agent id, percent-encoded (`node-a%2Franker-0`).",
            "in": "path",
            "name": "agent",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Return only a generation greater than this (default 0).",
            "in": "query",
            "name": "after",
            "required": false,
            "schema": {
              "type": "integer"
            }
          },
          {
            "description": "Seconds to wait for a newer generation (default 0, capped by the server).",
            "in": "query",
            "name": "wait",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DesiredState"
                }
              }
            },
            "description": "OK"
          },
          "204": {
            "description": "Nothing newer than `after` within `wait`."
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Desired state; long-poll with after/wait"
      }
    },
    "/v1/agents/{agent}/heartbeat": {
      "post": {
        "description": "Role: agent (itself).",
        "parameters": [
          {
            "description": "Agent id, percent-encoded (`node-a%2Franker-0`).",
            "in": "path",
            "name": "agent",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Heartbeat"
              }
            }
          },
          "required": true
        },
        "responses": {
          "204": {
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Heartbeat (version, labels, spool depth)"
      }
    },
    "/v1/agents/{agent}/observed": {
      "put": {
        "description": "Role: agent (itself).",
        "parameters": [
          {
            "description": "Agent id, percent-encoded (`node-a%2Franker-0`).",
            "in": "path",
            "name": "agent",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObservedState"
              }
            }
          },
          "required": true
        },
        "responses": {
          "204": {
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Observed state after applying a desired state"
      }
    },
    "/v1/alerts": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "status",
            "required": false,
            "schema": {
              "enum": [
                "firing",
                "resolved"
              ],
              "type": "string"
            }
          },
          {
            "description": "",
            "in": "query",
            "name": "model",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "",
            "in": "query",
            "name": "fingerprint",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "1 to 1000 (default 100).",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Alerts, newest first"
      }
    },
    "/v1/alerts/deliveries": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "1 to 1000 (default 100).",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertDeliveryList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Webhook deliveries and their state, newest first"
      }
    },
    "/v1/alerts/rules": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertRuleList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The alert rules in effect"
      },
      "post": {
        "description": "Role: admin, operator.",
        "parameters": [],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AlertRule"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertRule"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Add or replace an operator rule (audited)"
      }
    },
    "/v1/alerts/rules/{name}": {
      "delete": {
        "description": "Role: admin, operator.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "name",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Remove an operator rule; its alerts resolve (audited)"
      }
    },
    "/v1/audit": {
      "get": {
        "description": "Role: admin, operator.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "after",
            "required": false,
            "schema": {
              "type": "integer"
            }
          },
          {
            "description": "",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The audit log, newest first"
      }
    },
    "/v1/desired": {
      "put": {
        "description": "The version's declared input features are first compared with the features the selected agents report (their latest report's drift block plus the declared inputs of the version they serve): a missing feature or a kind mismatch is refused with 409 schema_mismatch and the whole check, unless `force` is true (audited). Agents without reports do not block. Each matching agent's generation grows by one; waiting long-polls are woken at once.\n\nRole: admin, operator.",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DesiredStateUpdate"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DesiredStateResult"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SchemaMismatch"
                }
              }
            },
            "description": "schema_mismatch (with the check), or another conflict (a retired version)"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Set the desired version of all agents of a model matching a label selector"
      }
    },
    "/v1/fleet/health": {
      "get": {
        "description": "Latency quantiles from merged histograms, error rate, n-weighted validation and online metrics, and drift computed on the merged per-bin counts of all agents against the version's reference profile.\n\nRole: admin, operator, viewer.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "model",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "",
            "in": "query",
            "name": "version",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "",
            "in": "query",
            "name": "zone",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "RFC 3339; default: to − 15 minutes",
            "in": "query",
            "name": "from",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "RFC 3339; default: now",
            "in": "query",
            "name": "to",
            "required": false,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FleetHealth"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Fleet health per model × version × zone over a time range"
      }
    },
    "/v1/models/{model}/aliases/{alias}": {
      "delete": {
        "description": "Role: admin, operator.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "alias",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Remove an alias"
      }
    },
    "/v1/models/{model}/versions/{version}": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelVersion"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Show a version (by id or alias)"
      }
    },
    "/v1/models/{model}/versions/{version}/aliases/{alias}": {
      "put": {
        "description": "Role: admin, operator. Refused with 409 (field `training_run_id`) for `stable` when the version's training run is flagged, unless the body says {\"override\": true} (audited).",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "alias",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AliasRequest"
              }
            }
          },
          "required": false
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelVersion"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Point an alias (stable, candidate, baseline, previous) at a version"
      }
    },
    "/v1/models/{model}/versions/{version}/lineage": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LineageView"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Lineage walked both ways with compression ratios"
      }
    },
    "/v1/models/{model}/versions/{version}/profile": {
      "get": {
        "description": "Role: admin, operator, viewer, agent.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReferenceProfile"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The version's reference profile (ETag: its digest)"
      },
      "put": {
        "description": "Role: admin, operator.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReferenceProfile"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Digest"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Store the version's reference profile"
      }
    },
    "/v1/models/{model}/versions/{version}/retire": {
      "post": {
        "description": "Role: admin, operator.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelVersion"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Retire a version (refused while agents should serve it)"
      }
    },
    "/v1/models/{model}/versions/{version}/schema-check": {
      "get": {
        "description": "Compares the version's declared input features with the features the agents of the model matching the selector see; the same check `PUT /v1/desired` runs.\n\nRole: admin, operator, viewer.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "model",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Version id or alias (stable, candidate).",
            "in": "path",
            "name": "version",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "Label selector k=v[,k=v…] (default: every agent of the model).",
            "in": "query",
            "name": "selector",
            "required": false,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SchemaCheck"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Check a version's input schema against the agents' traffic"
      }
    },
    "/v1/openapi.json": {
      "get": {
        "responses": {
          "200": {
            "description": "OK"
          }
        },
        "security": [],
        "summary": "This document"
      }
    },
    "/v1/reports": {
      "post": {
        "description": "Role: agent (its own reports).",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Report"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReportAck"
                }
              }
            },
            "description": "Duplicate: already stored, acknowledged and not counted again."
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReportAck"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Ingest one report (deduplicated by id)"
      }
    },
    "/v1/reports/batch": {
      "post": {
        "description": "Role: agent (its own reports).",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReportBatch"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReportAck"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Ingest a batch of reports (deduplicated by id)"
      }
    },
    "/v1/retraining": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "model",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "description": "1 to 1000 (default 100).",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RetrainRequestList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Retrain requests with evidence and outcome, newest first"
      }
    },
    "/v1/retraining/{id}": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RetrainRequest"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "One retrain request"
      }
    },
    "/v1/tokens": {
      "get": {
        "description": "Role: admin.",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "List tokens (never secrets)"
      },
      "post": {
        "description": "Role: admin.",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenCreateRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenCreateResponse"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Create a token; the secret is shown once"
      }
    },
    "/v1/tokens/{id}": {
      "delete": {
        "description": "Role: admin.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Revoke a token"
      }
    },
    "/v1/training/runs": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "1 to 1000 (default 100).",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainingRunList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Training runs, most recently active first"
      }
    },
    "/v1/training/runs/{run}": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "run",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainingRunDetail"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "A training run's health, promotion block and recent steps"
      }
    },
    "/v1/training/runs/{run}/steps": {
      "post": {
        "description": "Role: admin, operator, agent.",
        "parameters": [
          {
            "description": "Path segment, percent-encoded.",
            "in": "path",
            "name": "run",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrainingSteps"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainingRunHealth"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Post training steps; returns the run's health (re-posted steps are ignored)"
      }
    },
    "/v1/versions": {
      "get": {
        "description": "Role: admin, operator, viewer.",
        "parameters": [
          {
            "description": "",
            "in": "query",
            "name": "model",
            "required": false,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/VersionList"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "List versions"
      },
      "post": {
        "description": "The same model and version with a different sha256 is refused with 409; a lineage parent must be registered.\n\nRole: admin, operator.",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ModelVersion"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "description": "Already registered with the same sha256 (idempotent)."
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelVersion"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Register a version"
      }
    }
  },
  "security": [
    {
      "bearer": []
    }
  ],
  "servers": [
    {
      "url": "http://127.0.0.1:8480"
    }
  ]
}
"""#
}
