# bench/soak.sh's plot: gnuplot -e "samples='FILE'; output='PNG'" bench/soak.gp
set terminal pngcairo size 1200,800 noenhanced
set output output
set multiplot layout 2,2 title "stork serve during the soak (one sample a second)"
set xlabel "seconds"
set key top left
set yrange [0:*]
# Headroom above the highest sample, so a flat line (threads) is not drawn on the frame.
set offsets 0, 0, 2, 0
plot samples using 1:($2/1024) skip 1 with lines title "RSS (MiB)", \
     samples using 1:($6/10) skip 1 with lines title "items done / 10"
plot samples using 1:3 skip 1 with lines title "open descriptors"
plot samples using 1:4 skip 1 with lines title "threads"
plot samples using 1:5 skip 1 with lines title "descendant processes"
unset multiplot
