// Functions written in Emirax: no Java, no OSGi service, shipped in the same bundle as the workflows.
function('text.greet') { args -> [text: "Hello, ${args.name}!".toString()] }
function('text.sign')  { args -> [signature: "-- the ${args.team} team".toString()] }

// A greeting card: greet, have a child workflow sign it, then compose and complete.
workflow('greeting') {
    version 1
    input { required 'name', String; optional 'team', String, 'Orrery' }

    rule('greet') {
        match    { !state.greeting }
        action   { call 'text.greet', [name: input.name] }
        reaction { r -> state.greeting = r.text }
    }
    rule('sign') {                                    // a child workflow; its output arrives as r
        match    { state.greeting && !state.signature }
        action   { workflow 'signature', [team: input.team], key: "${key}/signature" }
        reaction { r -> state.signature = r.signature }
        error    { e -> fail "no signature: ${e.message}" }
    }
    rule('compose') {
        match    { state.greeting && state.signature && !state.card }
        action   {
            state.card = "${state.greeting}\n${state.signature}".toString()
            complete(output: [card: state.card])
        }
    }
}

workflow('signature') {
    version 1
    input { required 'team', String }

    rule('sign') {
        match    { !state.signature }
        action   { call 'text.sign', [team: input.team], retries: 2, timeout: '5s' }
        reaction { r -> state.signature = r.signature; complete(output: [signature: r.signature]) }
    }
}
