// expect: a method named 'getProperty'
def getProperty(String n) { state.x = 1 }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
