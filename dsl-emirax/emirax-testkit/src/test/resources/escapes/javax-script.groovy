// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new javax.script.ScriptEngineManager().getEngineByName('groovy')
            state.done = true
        }
    }
}
