// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = new URL('http://127.0.0.1:1/').text
            state.done = true
        }
    }
}
