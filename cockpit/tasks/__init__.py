"""Task dispatch and supervision (任务一键下达，进度实时跟踪，结果有效反馈): the closed loop after a warning."""
