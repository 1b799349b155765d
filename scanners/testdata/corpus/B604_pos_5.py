pool.apply(task, shell="yes")
