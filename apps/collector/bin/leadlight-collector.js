#!/usr/bin/env node
// Runs the built collector; kept outside dist so the bin link exists before the first build.
import '../dist/cli.js';
