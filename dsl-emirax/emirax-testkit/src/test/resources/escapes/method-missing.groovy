// expect: a method named 'methodMissing'
def methodMissing(String n, args) { state.x = 1 }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
