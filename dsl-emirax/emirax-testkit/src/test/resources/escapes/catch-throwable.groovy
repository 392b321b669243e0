// expect: catching java.lang.Throwable
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            try { state.x = 1 } catch (Throwable t) { }
            state.done = true
        }
    }
}
