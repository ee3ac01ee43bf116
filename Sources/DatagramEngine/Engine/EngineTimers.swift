/// The timers of one engine: a binary heap by deadline (monotonic nanoseconds), cancelled
/// timers left in the heap and skipped when they come up. Engine thread only.
struct EngineTimers {
    private var heap: [(deadline: UInt64, id: UInt64)] = []
    private var tasks: [UInt64: () -> Void] = [:]

    /// The earliest live deadline.
    mutating func nextDeadline() -> UInt64? {
        while let first = self.heap.first, self.tasks[first.id] == nil { self.pop() }
        return self.heap.first?.deadline
    }

    mutating func insert(id: UInt64, deadline: UInt64, _ task: @escaping () -> Void) {
        self.tasks[id] = task
        self.heap.append((deadline, id))
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.heap[child].deadline < self.heap[parent].deadline else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Cancels timer `id`; false when it has run or was cancelled already.
    mutating func cancel(_ id: UInt64) -> Bool {
        self.tasks.removeValue(forKey: id) != nil
    }

    /// Removes and returns the task of every timer due at `now`.
    mutating func takeDue(now: UInt64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = self.heap.first, first.deadline <= now {
            self.pop()
            if let task = self.tasks.removeValue(forKey: first.id) { due.append(task) }
        }
        return due
    }

    private mutating func pop() {
        let last = self.heap.removeLast()
        guard !self.heap.isEmpty else { return }
        self.heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < self.heap.count, self.heap[left].deadline < self.heap[smallest].deadline { smallest = left }
            if right < self.heap.count, self.heap[right].deadline < self.heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
