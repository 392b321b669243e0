function('media.size') { args -> [bytes: new File(args.uri).length()] }   // a function in Emirax, beside the workflows

workflow('encode-video') {
    version 3
    input { required 'source', String; optional 'chunks', Integer, 31; required 'recipe', String }

    rule('split') {
        match    { !state.chunks }
        action   { call 'media.split', [uri: input.source, count: input.chunks] }
        reaction { r -> state.chunks = r.parts.collect { [uri: it, encoded: null] } }
        error    { e -> fail "split failed: ${e.message}" }
    }
    rule('encode') {                                  // fan-out: one call per chunk
        match    { state.chunks?.any { !it.encoded } }
        action   { state.chunks.findAll { !it.encoded }.collect { c -> call 'media.encode', [uri: c.uri, recipe: input.recipe], key: c.uri } }
        reaction { r, call -> state.chunks.find { it.uri == call.key }.encoded = r.uri }
    }
    rule('assemble') {                                // the join is just a match
        match    { state.chunks?.every { it.encoded } && !state.output }
        action   { call 'media.assemble', [parts: state.chunks*.encoded] }
        reaction { r -> state.output = r.uri; complete(output: [uri: r.uri]) }
    }
}
