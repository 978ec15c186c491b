#!/usr/bin/env bash
echo "demo: not yet wired (see issue 5)"
