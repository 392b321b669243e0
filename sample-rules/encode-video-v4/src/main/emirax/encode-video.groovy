function('media.size') { args -> [bytes: new File(args.uri).length()] }   // a function in Emirax, beside the workflows

// source: a local path or file: URI the tenant's function host can read; the job's files go under its outputs,
// in a directory named after the instance's key.
workflow('encode-video') {
    version 4
    input { required 'source', String; optional 'chunks', Integer, 31; required 'recipe', String }

    rule('probe') {                                   // a source that is missing or not a video fails here, with why
        match    { !state.probe }
        action   { call 'media.probe', [uri: input.source] }
        reaction { r -> state.probe = r }
        error    { e -> fail "probe failed: ${e.message}" }
    }
    rule('split') {
        match    { state.probe && !state.chunks }
        action   { call 'media.split', [uri: input.source, count: input.chunks, job: key] }
        reaction { r -> state.chunks = r.parts.collect { [uri: it, encoded: null] } }
        error    { e -> fail "split failed: ${e.message}" }
    }
    rule('encode') {                                  // fan-out: one call per chunk, run in parallel
        match    { state.chunks?.any { !it.encoded } }
        action   { state.chunks.findAll { !it.encoded }.collect { c -> call 'media.encode', [uri: c.uri, recipe: input.recipe, job: key], key: c.uri } }
        reaction { r, call -> def c = state.chunks.find { it.uri == call.key }; c.encoded = r.uri; c.started = r.started; c.ended = r.ended }
        error    { e -> fail "encode failed: ${e.message}" }
    }
    rule('assemble') {                                // the join is just a match
        match    { state.chunks?.every { it.encoded } && !state.output }
        action   { call 'media.assemble', [parts: state.chunks*.encoded, job: key] }
        reaction { r -> state.output = r.uri }
        error    { e -> fail "assemble failed: ${e.message}" }
    }
    rule('index') {
        match    { state.output && !state.index }
        action   { call 'media.index', [uri: state.output, job: key, source: input.source, recipe: input.recipe,
                                        parts: state.chunks.collect { [uri: it.encoded, started: it.started, ended: it.ended] }] }
        reaction { r -> state.index = r.uri; complete(output: [uri: state.output, index: r.uri]) }
        error    { e -> fail "index failed: ${e.message}" }
    }
    rule('reencode') {                                // new in version 4: fires on finished videos, old ones included
        match    { state.index && state.codec != 'av1' }
        action   { call 'media.reencode', [uri: state.output, codec: 'av1', job: key] }
        reaction { r -> state.codec = 'av1'; state.output = r.uri; complete(output: [uri: r.uri, index: state.index, codec: 'av1']) }
    }
}
