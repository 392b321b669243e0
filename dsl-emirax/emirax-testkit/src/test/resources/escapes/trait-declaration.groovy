// expect: declaring classes
trait T { def x() { 1 } }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
